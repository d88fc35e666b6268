"""The library's query texts that passed the guard (kg.check.guard.prepare), by SHA-256 of the text.

``kg query NAME`` runs a library query without parsing it again in rdflib (a third of a second of
imports and parsing) when its text is one of these. A digest matches only the exact text: a query
edited since is parsed and guarded when it runs, as any other text is. With each digest, the
offset in the text just after the ``{`` that opens its outer WHERE group: where a VALUES block of
parameters goes (kg.query.engine.bound_as_recorded; kg.stores.remote.bind_values finds the same
place by scanning the text). Written by ``make golden``;
``tests/test_engine.py::test_recorded_digests_of_the_library_queries`` guards every library query
and fails while this list is not the list it computes.
"""

RECORDED = {
    "b0ff94b7baec24683b85dcb9646179b3863320b08cf1a58058280c62e1d0d815": 846,  # acquisitions
    "f97e735cca40a7d4b6563156a356194cf1e0a767249e030a9831d47d48838845": 1124,  # actor-facts
    "bc08a83db23edd18a9d5e64407b76415a636acff92960ec897f7ac611e6aba9b": 657,  # all-figures
    "4bdb43c6149cd948b9b456200e94f6633591253b7d6d852213a8089dacd8abdf": 975,  # changes
    "265b97d97d61fe12add59d625369abb09dc08d77bcc77e458f6a00f135e5045f": 619,  # derived-values
    "1ec282c55d6c5e80b493aa8a686beac591d87c6981c182b813d227dd97f5567a": 1308,  # exports-by-period
    "7aead47ef102624071881c3441dd8e950f9816024419e2121d9ff9bc319d39d5": 875,  # fact-evidence
    "628255954f8c220c45e7f60e362a4401b8c43103aa4d974752eee28384cbe016": 839,  # figure-history
    "4ce093fd741d6b306e336ef097fa7311ce75c893c2daa78dd9de9a404daae05c": 747,  # meetings
    "2ea5ca6d4d8d3c5f96c96afbf97b5d0f6fb36080654c143c667aaf2e1c6bbe52": 1717,  # period-comparison
    "52e84a7236be8095fba93665061567376a1df42a6a127b207494c536ed4e6859": 807,  # places-within
    "44bec3866fd0dcc9fd17722b823657478fed27b380b7a54c802357e34bb6bcd1": 980,  # posts
    "901859b0a5e89255f7a4e4c687ed6846eef450a05c603a492ee1e4beaad5b672": 922,  # province-vs-region
    "15e04e83a4d323f6efe96baa294565f05c6cbc36bb6e3c0f232b2b556ffdffcc": 781,  # quotations
    "b26483f93aebd252f03c5562f4801c27a7a5bc97f98667e173178f5cb108243f": 794,  # releases
    "e8876926d4eb8c3b7aa6c67da455e24ba2b6f560d4171e77de36dce655de6e49": 911,  # restatements
    "e938e015343b53d6ff1817b2ad9a959ecef42e81f049b310bfa5c4c8f7e5f6a8": 1012,  # sector-breakdown
    "59716b61282536218fdbd378bbf2c8f4ca462958e628b2983010674b998f1bd4": 1014,  # sectors
    "f604aa5a0eb18b480a94e42a865e7ac801a544408bbbd97dfa92125d52c0c270": 1042,  # share-check
    "1753d5da2e9fc674027c9f3f68dc89eb293627e6873ef662671c1a3a14e76290": 591,  # shares
}
