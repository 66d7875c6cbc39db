package dev.imagegateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

    private static List<ServerSentEvents.Event> read(String stream) throws IOException {
        ServerSentEvents events = new ServerSentEvents(new BufferedReader(new StringReader(stream)));
        List<ServerSentEvents.Event> all = new ArrayList<>();
        for (ServerSentEvents.Event event = events.next(); event != null; event = events.next()) {
            all.add(event);
        }
        return all;
    }

    @Test
    void namedEvents_withOneDataLineEach() throws IOException {
        assertThat(read("event: a\ndata: {\"x\":1}\n\nevent: b\ndata: {\"y\":2}\n\n")).containsExactly(
                new ServerSentEvents.Event("a", "{\"x\":1}"), new ServerSentEvents.Event("b", "{\"y\":2}"));
    }

    @Test
    void severalDataLines_areJoinedByNewlines_andCrLfEndsLinesToo() throws IOException {
        assertThat(read("data: one\r\ndata:two\r\n\r\n")).containsExactly(new ServerSentEvents.Event(null, "one\ntwo"));
    }

    @Test
    void commentsUnknownFieldsAndEventsWithoutData_dispatchNothing_andTheNameDoesNotLeakIntoTheNextEvent()
            throws IOException {
        assertThat(read(": keep-alive\nid: 7\nretry: 1000\nevent: ignored\n\ndata: x\n\n"))
                .containsExactly(new ServerSentEvents.Event(null, "x"));
    }

    @Test
    void anEventCutOffBeforeItsBlankLine_isNotDispatched() throws IOException {
        assertThat(read("event: a\ndata: whole\n\nevent: b\ndata: {\"b64_json\":\"iVBOR")).containsExactly(
                new ServerSentEvents.Event("a", "whole"));
    }
}
