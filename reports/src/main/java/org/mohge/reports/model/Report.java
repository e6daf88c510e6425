package org.mohge.reports.model;

import java.util.List;
import java.util.Map;

/**
 * A whole report: title, sections, and footer facts (seed, scenario hash, tool version, cost
 * model) that make it reproducible. Timestamps are left out on purpose: same input, same bytes.
 */
public record Report(String title, String subtitle, List<Section> sections, Map<String, String> footer) {
    public Report {
        sections = List.copyOf(sections);
        footer = Map.copyOf(footer);
    }
}
