package dev.mlpipeline.registry;

import java.util.List;

import dev.mlpipeline.registry.dto.ModelEntryResponse;

/** One page of entries and the cursor of the next page (null on the last page). */
public record ModelPage(List<ModelEntryResponse> entries, String nextCursor) {
}
