"""Stage 6, grading: checking notes that students hand in. Citations and where they point, prose and
answers, verbatim copying, the per-file check and the batch over many files.

May import: every stage below it (core, source, snapshot, extract, resolve, notes, regen).
"""
