package org.mohge.cli.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SchemaSyncTest {
    @Test
    void committedSchemaEqualsTheOneGeneratedFromTheRecords() throws Exception {
        JsonNode committed = new ObjectMapper().readTree(Path.of("..", "scenarios", "schema", "scenario.schema.json")
                .toFile());
        assertThat(committed)
                .as("scenarios/schema/scenario.schema.json is stale: run ./mohge schema > scenarios/schema/scenario.schema.json")
                .isEqualTo(SchemaGenerator.scenarioSchema());
    }

    @Test
    void schemaListsRequiredKeysAndVariants() {
        JsonNode schema = SchemaGenerator.scenarioSchema();
        assertThat(schema.get("required").toString()).isEqualTo("[\"name\",\"seed\",\"model\",\"cluster\"]");
        JsonNode moe = schema.at("/properties/model/properties/moe/oneOf");
        assertThat(moe.size()).isEqualTo(3);
        assertThat(moe.get(2).at("/properties/type/const").asText()).isEqualTo("grouped");
        assertThat(schema.at("/properties/model/additionalProperties").asBoolean()).isFalse();
    }
}
