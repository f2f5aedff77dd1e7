package dev.mlpipeline.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class CellInternerTest {

    @Test
    void equalCellsOfAColumnBecomeOneStringAndValuesAreUnchanged() {
        CellInterner interner = new CellInterner(2);
        String[] a = interner.share(new String[]{ new String("north"), new String("1") });
        String[] b = interner.share(new String[]{ new String("north"), null });
        String[] c = interner.share(new String[]{ new String("1"), new String("north"), new String("extra") });
        assertSame(a[0], b[0]);
        assertNull(b[1]);
        assertArrayEquals(new String[]{ "1", "north", "extra" }, c);
        assertNotSame(a[1], c[0], "columns are interned separately");
    }

    @Test
    void aColumnWithManyDistinctValuesIsRememberedOnlyUpToTheCap() {
        CellInterner interner = new CellInterner(1);
        String[] first = new String[CellInterner.MAX_VALUES + 10];
        for (int i = 0; i < first.length; i++) first[i] = interner.share(new String[]{ "v" + i })[0];
        String early = interner.share(new String[]{ new String("v3") })[0];
        assertSame(first[3], early);
        String late = interner.share(new String[]{ new String("v" + (CellInterner.MAX_VALUES + 5)) })[0];
        assertNotSame(first[CellInterner.MAX_VALUES + 5], late, "past the cap, cells are kept as parsed");
        assertArrayEquals(new String[]{ first[CellInterner.MAX_VALUES + 5] }, new String[]{ late });
    }
}
