package org.mohge.gpu.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.gpu.cpu.TestLayers;

class SafetensorsTest {

    @Test
    void readsAHandWrittenFileWithBf16AndF32Tensors(@TempDir Path dir) throws IOException {
        // Header written by hand as another tool would: a BF16 [2] vector and an F32 [1, 2] matrix.
        String header = "{\"__metadata__\": {\"a\": \"b\"}, \"v\": {\"dtype\": \"BF16\", \"shape\": [2], \"data_offsets\": [0, 4]},"
                + " \"m\": {\"dtype\": \"F32\", \"shape\": [1, 2], \"data_offsets\": [4, 12]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        b.putShort((short) 0x3f80).putShort((short) 0xc040); // bf16 1.0 and -3.0
        b.putFloat(0.25f).putFloat(-7f);
        Path f = dir.resolve("t.safetensors");
        Files.write(f, b.array());
        Map<String, FloatMatrix> t = Safetensors.read(f);
        assertThat(t.keySet()).containsExactly("v", "m");
        assertThat(t.get("v").data()).containsExactly(1f, -3f);
        assertThat(t.get("m").rows()).isEqualTo(1);
        assertThat(t.get("m").data()).containsExactly(0.25f, -7f);
    }

    /** A file with {@code header} and {@code dataBytes} zero bytes of data. */
    private static Path file(Path dir, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return Files.write(dir.resolve("bad.safetensors"), b.array());
    }

    @Test
    void malformedHeaderFieldsAreErrorsNamingTheTensorNotCrashes(@TempDir Path dir) throws IOException {
        String[][] cases = {
            {"{\"w\": 5}", "tensor 'w' must be a JSON object"},
            {"{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", "tensor 'w': dtype must be a string"},
            {"{\"w\": {\"dtype\": \"F32\", \"shape\": \"1\", \"data_offsets\": [0, 4]}}",
                "tensor 'w': shape must be a list of 1 or 2 sizes"},
            {"{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}",
                "tensor 'w': shape[0] must be a whole number"},
            {"{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}",
                "tensor 'w': data_offsets must be [begin, end]"},
            {"{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 400]}}",
                "tensor 'w': data_offsets [0, 400] must lie within the 8 data bytes of the file"},
            {"{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 8]}}",
                "tensor 'w': shape [1] (F32) needs 4 bytes, data_offsets give 8"},
            {"{\"w\": {\"dtype\": \"F32\", \"shape\": [65536, 65536], \"data_offsets\": [0, 8]}}",
                "elements do not fit one Java array"},
        };
        for (String[] c : cases) {
            Path f = file(dir, c[0], 8);
            assertThatThrownBy(() -> Safetensors.read(f)).as(c[0]).isInstanceOf(IOException.class)
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void truncatedOrMalformedHeaderJsonIsAnErrorWithItsPositionNotAnIndexException(@TempDir Path dir)
            throws IOException {
        // each header stops or breaks at a place where the parser used to index past the end
        String[][] cases = {
            {"{", "bad safetensors header at 1: expected '\"'"},
            {"{\"w\": [", "bad safetensors header at 7: unexpected end"},
            {"{\"w\": [1", "bad safetensors header at 8: expected ']'"},
            {"{\"w\\", "bad safetensors header at 4: unterminated string"},
            {"{\"w\\u12", "bad safetensors header at 5: truncated \\u escape"},
            {"{\"w\\uzzzz\": 1}", "bad safetensors header at 5: bad \\u escape"},
            {"{\"w\": 1e}", "bad safetensors header at 8: bad number '1e'"},
        };
        for (String[] c : cases) {
            Path f = file(dir, c[0], 8);
            assertThatThrownBy(() -> Safetensors.read(f)).as(c[0]).isInstanceOf(IOException.class)
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void writtenHeaderIsPaddedTo8BytesAndStartsWithItsLength(@TempDir Path dir) throws IOException {
        Map<String, FloatMatrix> t = new LinkedHashMap<>();
        t.put("x", new FloatMatrix(1, 3, new float[] {1, 2, 3}));
        Path f = dir.resolve("x.safetensors");
        Safetensors.write(f, t, Map.of("k", "v\"q"));
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat((8 + n) % 8).isZero();
        assertThat(bytes.length).isEqualTo(8 + n + 12);
        assertThat(new String(bytes, 8, (int) n, StandardCharsets.UTF_8))
                .contains("\"x\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[0,12]}").contains("v\\\"q");
        assertThat(Safetensors.read(f).get("x").data()).containsExactly(1, 2, 3);
    }

    @Test
    void layerWeightsRoundTripForAllLayerKinds(@TempDir Path dir) throws IOException {
        for (MoeLayerSpec spec : TestLayers.all()) {
            LayerWeights w = LayerWeights.random(spec, 16, 9);
            Path f = dir.resolve(spec.kind() + ".safetensors");
            LayerWeightsIo.write(f, w, Map.of("x", LayerWeights.randomTokens(3, 16, 1)), Map.of());
            LayerWeights back = LayerWeightsIo.read(f, spec, 16);
            assertThat(back.expertGate().data()).containsExactly(w.expertGate().data());
            assertThat(back.groupGate().data()).containsExactly(w.groupGate().data());
            for (int e = 0; e < spec.expertCount(); e++) {
                assertThat(back.experts().get(e).down().data()).containsExactly(w.experts().get(e).down().data());
                assertThat(back.experts().get(e).gate().data()).containsExactly(w.experts().get(e).gate().data());
            }
            assertThat(back.sharedExperts()).hasSameSizeAs(w.sharedExperts());
        }
    }

    @Test
    void weightsThatDoNotMatchTheSpecAreRejectedNamingTheTensor(@TempDir Path dir) throws IOException {
        MoeLayerSpec spec = TestLayers.uniform();
        Path f = dir.resolve("u.safetensors");
        LayerWeightsIo.write(f, LayerWeights.random(spec, 16, 1), Map.of(), Map.of());
        assertThatThrownBy(() -> LayerWeightsIo.read(f, spec, 32)).hasMessageContaining("must be");
        assertThatThrownBy(() -> LayerWeightsIo.read(f, TestLayers.grouped(), 16)).hasMessageContaining("router.group_gate");
    }
}
