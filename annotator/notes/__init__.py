"""Stage 4, notes: pure rendering of the skeleton from the model: the marker language, sections and
stubs, the five questions' leads, the lifecycle sequence diagram and the class diagram (mermaid), and
the model as JSON. Strings in, strings out: nothing here reads or writes files.

May import: annotator core modules, annotator.snapshot, annotator.resolve.
"""
