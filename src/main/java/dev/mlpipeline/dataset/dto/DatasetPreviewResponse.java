package dev.mlpipeline.dataset.dto;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "DatasetPreview", description = "The first rows of a dataset; numeric columns as numbers, missing values as null")
public record DatasetPreviewResponse(List<String> columns, List<Map<String, Object>> rows) {
}
