/**
 * Files: {@link org.lottery4j.io.AtomicFiles} writes files that are complete or absent, and
 * {@link org.lottery4j.io.FileFormatException} names the file and what is wrong with it when one
 * cannot be read; {@link org.lottery4j.io.Provenance} says which versions made a result.
 */
package org.lottery4j.io;
