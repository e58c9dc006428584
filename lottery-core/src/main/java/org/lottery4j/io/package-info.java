/** File helpers: {@link org.lottery4j.io.AtomicFiles} writes files that are complete or absent. */
package org.lottery4j.io;
