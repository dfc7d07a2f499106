"""Stage 6, grading: checking notes that students hand in, from the skeleton or written by hand.

structure (the Markdown, read with markdown-it-py) -> prose (the student's segments), words;
citations (forms) -> sections (what a heading is about) -> citecheck (placing and checking them);
answers (questions and the closing paragraph found from headings and lead-ins); copying (verbatim);
manifest (students' manifests); findings (codes, severities); check (one file); batch (many files).

May import: every stage below it (core, source, snapshot, extract, resolve, notes, regen).
"""
