package io.leaseflow.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The JSON Schemas of the event data, for producer and consumer tests alike. */
public enum ContractSchemas {
    LEASE_EVENT("schemas/lease-event.schema.json"),
    LEASE_START_OVERDUE("schemas/lease-start-overdue.schema.json"),
    STACK_EVENT("schemas/stack-event.schema.json"),
    EXCHANGE_REPORT("schemas/exchange-report.schema.json"),
    EXCHANGE_EVENT("schemas/exchange-event.schema.json");

    private final JsonSchema schema;

    ContractSchemas(String resource) {
        try (InputStream in = ContractSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validation messages; empty when the document conforms. */
    public List<String> violations(JsonNode document) {
        return schema.validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
