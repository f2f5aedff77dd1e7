package dev.mlpipeline.registry;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.common.InvalidInputException;
import io.smallrye.mutiny.Multi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Grouping of sorted streams and cursors, without a server. */
class RegistryRunsTest {

    @Test
    void groupsConsecutiveKeysAndMarksTheLastRun() {
        var runs = Runs.of(Multi.createFrom().items("a1", "a2", "b1", "c1", "c2", "c3"), s -> s.charAt(0))
                .collect().asList().await().indefinitely();
        assertEquals(List.of('a', 'b', 'c'), runs.stream().map(Runs.Run::key).toList());
        assertEquals(List.of(List.of("a1", "a2"), List.of("b1"), List.of("c1", "c2", "c3")),
                runs.stream().map(Runs.Run::items).toList());
        assertEquals(List.of(true, true, false), runs.stream().map(Runs.Run::followed).toList());
        assertEquals(List.of(), Runs.of(Multi.createFrom().<String>empty(), s -> s).collect().asList().await().indefinitely());
    }

    @Test
    void aRunIsEmittedWhenTheNextKeyStartsSoAPageCanStopEarly() {
        var first = Runs.of(Multi.createFrom().items("a1", "b1", "b2", "c1"), s -> s.charAt(0))
                .select().first(2).collect().asList().await().indefinitely();
        assertEquals(2, first.size());
        assertEquals(true, first.getLast().followed());
    }

    @Test
    void cursorsRoundTripAndRejectForeignValues() {
        RegistryCursor c = new RegistryCursor("ds_1", "RandomForest");
        assertEquals(c, RegistryCursor.decode(c.encode()));
        assertEquals(null, RegistryCursor.decode(" "));
        for (String bad : List.of("%%%", "Zm9v", "djE6ZHNfMQ")) {
            assertThrows(InvalidInputException.class, () -> RegistryCursor.decode(bad));
        }
    }
}
