package dev.imagegateway.upstream;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code text/event-stream} one event at a time, as the HTML living standard's event-stream
 * interpretation does: {@code event:} and {@code data:} fields (several {@code data:} lines joined by
 * newlines), comments and unknown fields ignored, a blank line dispatching. An event not closed by a
 * blank line before the end of the stream is incomplete and is not dispatched.
 */
final class ServerSentEvents {

    /** One dispatched event; {@code event} is null when the stream named none. */
    record Event(String event, String data) {
    }

    private final BufferedReader lines;

    ServerSentEvents(BufferedReader lines) {
        this.lines = lines;
    }

    /** The next event, or null at the end of the stream. */
    Event next() throws IOException {
        String event = null;
        List<String> data = new ArrayList<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    return new Event(event, String.join("\n", data));
                }
                event = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                event = value;
            } else if (field.equals("data")) {
                data.add(value);
            }
        }
        return null;
    }
}
