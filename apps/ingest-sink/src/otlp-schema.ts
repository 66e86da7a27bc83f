// The part of OTLP's trace schema (opentelemetry-proto v1: collector/trace/v1,
// trace/v1, common/v1, resource/v1) that ingest-sink reads, with OTLP's own field numbers
// and types. Fields left out (events, links, status, scope, ...) are skipped on decode,
// as protobuf does with every unknown field. test/apps/sink-decode.test.ts checks it
// against the OpenTelemetry JS serializer's encoding, so a wrong number or type fails there.
export const OTLP_TRACE_SCHEMA = `
syntax = "proto3";
package opentelemetry.proto.collector.trace.v1;

message ExportTraceServiceRequest {
  repeated ResourceSpans resource_spans = 1;
}

message ResourceSpans {
  Resource resource = 1;
  repeated ScopeSpans scope_spans = 2;
}

message Resource {
  repeated KeyValue attributes = 1;
}

message ScopeSpans {
  repeated Span spans = 2;
}

message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  bytes parent_span_id = 4;
  string name = 5;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
}

message KeyValue {
  string key = 1;
  AnyValue value = 2;
}

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
  }
}
`;
