"""The library's query texts that passed the guard (kg.check.guard.prepare), by SHA-256 of the text.

``kg query NAME`` runs a library query without parsing it again in rdflib (a third of a second of
imports and parsing) when its text is one of these. A digest matches only the exact text: a query
edited since is parsed and guarded when it runs, as any other text is. With each digest, the
offset in the text just after the ``{`` that opens its outer WHERE group: where a VALUES block of
parameters goes (kg.query.engine.bound_as_recorded; kg.check.guard.bind_values finds the same
place by rdflib's SPARQL grammar). Written by ``make golden``;
``tests/test_engine.py::test_recorded_digests_of_the_library_queries`` guards every library query
and fails while this list is not the list it computes.
"""

RECORDED = {
    "6e2e4333b90af6cbc984f00938c658349a60a4434f87c9060672c7767e90f674": 845,  # acquisitions
    "9bc4c880e1f04b6565839bfe1f38b1e7255d8b1a6a14575beb337537b1b4314c": 1123,  # actor-facts
    "a88f1a4e38b1fa85852cb2fe85e5e85b2a4929aedcbee03ac567dd309a4e7858": 656,  # all-figures
    "9738d45e7e3084f20dfa70b5ccc691b647ea9bbcac4b4ce594bae1a6d0acd026": 974,  # changes
    "c726411a9387710101c693f77341576fbe63e08abb73c422fb590971f5c21bae": 618,  # derived-values
    "f98a88c9bce8bea06f00c4d46497b56772dcc218cb267d11b2c2a791ff3d504e": 1313,  # exports-by-period
    "8138f89850face69a011c037b74baa78fcf7033a05b0333514af0cd100153d55": 1099,  # fact-evidence
    "9de550c3f876d10f72337d2c0b0831de78d8d5bda962b1680ffb095e83db98e7": 921,  # figure-history
    "c18738cd6217c5f474ab40b36381a7991bbfd79cd667a0411309843b8becb48d": 746,  # meetings
    "a6653f15682a1a60a1d550899e518daf2c95cfc7a07429391a906d4b53e58e63": 1716,  # period-comparison
    "38e3bcbb5c7df0e94acec9d2fa363c5dedc99caeb965c039d1ddc19c14ae2c36": 806,  # places-within
    "0811176b5a05c19382ba6d83e95b47e46104c056ab00233d9dbd503e42ee496e": 979,  # posts
    "4745896e1fdf0e96c3d37817e6c49ba957cc88f4b8a99bad8bb7fef596c06a4e": 848,  # province-vs-region
    "1be7a95aa4db6a1a3b887aadb50c09f77fd13becdec590e9d0f47f981b2d96a7": 780,  # quotations
    "400f9bcc26d350e125862b9676dd2c57a87965eb86d972a553260af907a60e2f": 793,  # releases
    "5d0b1276c432ad5be94e83aadd72dfd7eec5f8b3669dd4c61448aa4cfcda1a74": 1002,  # restatements
    "c495b062a724961dbf45e525ec26b94d705e77ba29de4827737b95f5bbeaf784": 1011,  # sector-breakdown
    "e52ced34dccf5316658d22791795020c973be479079efc70338463932522070f": 1013,  # sectors
    "8160f15e52b51b696351d3aeeb6f5de4bc752fac5a67f7f0d6c2b0521fee545d": 1041,  # share-check
    "36342c7935b9496a49cd0c16768678e8aeaa94e228b725ada0999a6a7e6b8814": 660,  # shares
}
