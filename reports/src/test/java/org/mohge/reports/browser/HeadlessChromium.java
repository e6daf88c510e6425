package org.mohge.reports.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loads a page in headless Chromium through the DevTools protocol (JDK WebSocket, no extra
 * library) and reports what a person would see: console errors, whether every image loaded, and
 * a screenshot. Chromium runs without background networking so nothing leaves the machine.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_S = 60;

    private final Process process;
    private final WebSocket socket;
    private final Path profile;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();

    /** The Chromium binary, if one is installed. */
    public static Optional<Path> find() {
        for (String name : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            Path p = Path.of(name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public HeadlessChromium(Path binary) throws IOException, InterruptedException {
        profile = Files.createTempDirectory("mohge-chromium-");
        process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                "--window-size=1280,900", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String endpoint = browserEndpoint();
        String pageWs = pageEndpoint(endpoint);
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(pageWs), new Listener()).join();
        send("Runtime.enable", JSON.createObjectNode());
        send("Log.enable", JSON.createObjectNode());
        send("Page.enable", JSON.createObjectNode());
    }

    private String browserEndpoint() throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        String line;
        while ((line = err.readLine()) != null && System.nanoTime() < deadline) {
            int at = line.indexOf("ws://");
            if (line.startsWith("DevTools listening on") && at >= 0) {
                Thread drain = new Thread(() -> {
                    try {
                        while (err.readLine() != null) {
                            // keep the pipe from filling up
                        }
                    } catch (IOException ignored) {
                        // the browser is gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return line.substring(at).trim();
            }
        }
        throw new IOException("Chromium did not print its DevTools endpoint");
    }

    /** The WebSocket of the first page target, found through the browser's /json list. */
    private static String pageEndpoint(String browserWs) throws IOException, InterruptedException {
        URI ws = URI.create(browserWs);
        URI list = URI.create("http://" + ws.getHost() + ":" + ws.getPort() + "/json/list");
        HttpClient http = HttpClient.newHttpClient();
        for (int attempt = 0; attempt < 50; attempt++) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(list).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode target : JSON.readTree(body)) {
                if ("page".equals(target.path("type").asText())) {
                    return target.get("webSocketDebuggerUrl").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("Chromium opened no page target");
    }

    private JsonNode send(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(message.toString(), true).join();
        try {
            JsonNode result = reply.get(TIMEOUT_S, TimeUnit.SECONDS);
            if (result.has("error")) {
                throw new IllegalStateException(method + " failed: " + result.get("error"));
            }
            return result.path("result");
        } catch (Exception e) {
            throw new IllegalStateException(method + " got no answer: " + e, e);
        }
    }

    /** Opens {@code file} and waits for its load event. */
    public void open(Path file) throws Exception {
        send("Page.navigate", JSON.createObjectNode().put("url", file.toUri().toString()));
        loaded.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    public List<String> consoleErrors() {
        return new ArrayList<>(consoleErrors);
    }

    /** Evaluates a JavaScript expression in the page and returns its JSON value. */
    public JsonNode evaluate(String expression) {
        JsonNode result = send("Runtime.evaluate",
                JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
        return result.path("result").path("value");
    }

    /** A full-page PNG screenshot. */
    public byte[] screenshot() {
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        return Base64.getDecoder().decode(send("Page.captureScreenshot", params).get("data").asText());
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        // Chromium's helpers (renderer, network service) keep writing to the profile after the
        // browser process exits: stop them all before the profile is removed.
        java.util.List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle h : helpers) {
                h.destroy();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    h.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(profile);
    }

    /** Removes a temporary folder; files that vanish while it is walked are simply gone already. */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file,
                                                           java.nio.file.attribute.BasicFileAttributes attrs)
                    throws IOException {
                Files.deleteIfExists(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                try {
                    Files.deleteIfExists(dir);
                } catch (java.nio.file.DirectoryNotEmptyException late) {
                    // a helper wrote one last file after the walk: leave the temporary folder to the OS
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                handle(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void handle(String text) {
            try {
                JsonNode message = JSON.readTree(text);
                if (message.has("id")) {
                    CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
                    if (reply != null) {
                        reply.complete(message);
                    }
                    return;
                }
                String method = message.path("method").asText();
                JsonNode params = message.path("params");
                switch (method) {
                    case "Page.loadEventFired" -> loaded.complete(null);
                    case "Runtime.exceptionThrown" -> consoleErrors.add("exception: "
                            + params.path("exceptionDetails").path("text").asText());
                    case "Runtime.consoleAPICalled" -> {
                        if ("error".equals(params.path("type").asText())) {
                            consoleErrors.add("console.error: " + params.path("args"));
                        }
                    }
                    case "Log.entryAdded" -> {
                        if ("error".equals(params.path("entry").path("level").asText())) {
                            consoleErrors.add(params.path("entry").path("source").asText() + ": "
                                    + params.path("entry").path("text").asText() + " "
                                    + params.path("entry").path("url").asText());
                        }
                    }
                    default -> {
                        // other events are not needed
                    }
                }
            } catch (IOException e) {
                consoleErrors.add("unreadable DevTools message: " + e.getMessage());
            }
        }
    }
}
