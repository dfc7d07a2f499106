"""Stage 5, regen: regeneration that keeps every word. Renames across eras, the student's old notes
read defensively, where each part goes in the new skeleton (merge), "code changed" flags and orphans, the
regeneration plan, and the structural diff between two commits (`annotate diff`).

May import: annotator core modules, annotator.source, annotator.snapshot, annotator.resolve, annotator.notes.
"""
