/**
 * Reports a person can look at: charts of an experiment (PNG and SVG, drawn with JFreeChart) and
 * its {@code index.html}.
 */
package org.lottery4j.report;
