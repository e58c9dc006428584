/**
 * Reports a person can look at: charts of an experiment and of a study (PNG and SVG, drawn with
 * JFreeChart) and their {@code index.html}, all written through {@link org.lottery4j.report.ReportPage}.
 */
package org.lottery4j.report;
