"""Stage 3, RDF: statements resolved (places, people) and written as N-Triples by one
builder, with the vocabulary every IRI comes from and the stable Turtle serialiser."""
