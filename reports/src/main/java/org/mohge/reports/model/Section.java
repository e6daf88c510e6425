package org.mohge.reports.model;

import java.util.List;

/** A titled part of a report. {@code id} is its HTML anchor. */
public record Section(String id, String title, List<Block> blocks) {
    public Section {
        blocks = List.copyOf(blocks);
    }
}
