class Walker:
    def walk(self, blocks, tables):
        for block in blocks:
            block.free()
        for i, table in enumerate(tables):
            table.reset(i)
        for (j, row) in enumerate(self.rows):
            row.clear()
        for [k, col] in enumerate(self.cols):
            col.clear()
        for i2, cell in enumerate(self.grid.cells, start=1):
            cell.mark()
        for a, b in zip(blocks, tables):
            a.link(b)
        for single, in self.singles:
            single.go()
        for *head, last in self.splits:
            last.end()
        for self.cursor in range(3):
            pass
        for x in list(self.pending):
            x.flush()
        for y in sorted(self.queue, key=len):
            y.flush()
        for z in min(self.heaps):
            z.flush()
        else:
            self.done()
        names = [b.name for b in blocks]
        pairs = {t.key: t for t in tables}
        nested = [c for r in self.rows for c in r.cells if c]
        gen = sum(x.size for x in self.items)
        sets = {s.id for i, s in enumerate(self.seqs)}
        return names, pairs, nested, gen, sets

    async def stream(self, source):
        async for chunk in source.iter():
            chunk.handle()
        async for n, part in enumerate(self.parts):
            part.handle(n)
        return [c async for c in source.iter()]
