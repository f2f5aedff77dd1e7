package dev.mlpipeline.inference.dto;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The protocol's "Tensor Metadata": -1 in a shape is a dimension of any size. */
@Schema(name = "TensorMetadata")
public record TensorMetadata(String name, String datatype, List<Long> shape) {
}
