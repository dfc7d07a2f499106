"""A request's lifecycle as a mermaid sequenceDiagram: the query (spec), the walk over the call
graph (walk) and the drawing (draw). Part of the notes stage; imports only downward.
"""
