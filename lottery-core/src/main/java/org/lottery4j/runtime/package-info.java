/**
 * Process-wide ND4J settings for a program's {@code main}: {@link org.lottery4j.runtime.RuntimeSettings}
 * (CPU threads, JavaCPP's resident-memory check). The rest of the library never changes them.
 */
package org.lottery4j.runtime;
