/** File helpers: {@link org.lottery4j.internal.AtomicFiles} writes files that are complete or absent. */
package org.lottery4j.io;
