package io.parametric.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.JobIds;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Placement;
import io.parametric.shared.protocol.WorkerState;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.UsesTestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dashboard of a sharded fleet shows and acts on every shard, not only shard 0. */
@ExtendWith(UsesTestRedis.class)
class DashboardShardsIT {

    private static final String TOKEN = "test-token-shards-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void showsTheWorkersBacklogAndDeadLettersOfEveryShardAndClosesAWorkerOnItsShard() throws Exception {
        String fleetName = TestRedis.uniqueFleet("dashboard-shards");
        try (Session session = TestSessions.open(fleetName);
             DashboardServer server = new DashboardServer(session, "127.0.0.1", 0, TOKEN)) {
            session.shards().raiseTo(2);
            Fleet second = session.shards().shard(1);
            long pid = second.newPid();
            second.register(pid, Map.of("name", "shard-one-worker", "types", ",echo,"));
            JobIds ids = new JobIds();
            JobPayload job = new JobPayload(JobPayload.VERSION, ids.next(), ids.managerId(), JobPayload.TYPE, "echo",
                    null, null, null, null, null, List.of(), List.of(), null, null, 0, JobPayload.DEFAULT_MAX_DELIVERIES, false);
            second.place(List.of(new Placement(job, "echo", Placement.BACKLOG, Placement.BACKLOG)), null, Duration.ZERO);
            session.redis().rpush(second.keys().deadLetter(),
                    Fleet.deadLetterEntry("a test dead letter on shard 1", "m.1", new byte[0]));

            JsonNode fleet = Json.read(get(server, "api/fleet").body(), JsonNode.class);
            assertThat(fleet.path("stats").path("workers").findValuesAsText("name")).containsExactly("shard-one-worker");
            assertThat(fleet.path("stats").path("backlog").asLong()).isEqualTo(1);
            assertThat(fleet.path("deadLetters").toString()).contains("a test dead letter on shard 1");

            HttpResponse<String> closed = http.send(HttpRequest.newBuilder(server.address().resolve("api/actions/close?pid=" + pid))
                    .header(DashboardServer.TOKEN_HEADER, TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
            assertThat(second.worker(pid).orElseThrow().state()).hasValue(WorkerState.CLOSED);
        }
    }

    private HttpResponse<String> get(DashboardServer server, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.address().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }
}
