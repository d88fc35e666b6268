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
    "f58ec2328617fb72b4941cd984ffa98cdaacb7c05c456378d4ecc9563a58643e": 741,  # acquisitions
    "32f66c16ffbcaeb60c9c9eea7d6a7c6c85260b33b49baf34bf63f72d7d544095": 796,  # actor-facts
    "745bdc79f962815066954c9eb978032381e0e3782bd9117a628ba88d6145fb69": 749,  # all-figures
    "92968ce771214c0b5597e86c8fb7520fcc76d10a835e0b8fc40b269520ab955a": 687,  # derived-values
    "ef4e852255437da790a3e1f55b2a39638737a160a00a46291aaa6cd126badded": 1024,  # exports-by-period
    "a73e3746f14e57c9a6b368ae64b5c89c41bb4367ddbe03e0fd4bffe0f166bf14": 766,  # fact-evidence
    "4ce093fd741d6b306e336ef097fa7311ce75c893c2daa78dd9de9a404daae05c": 747,  # meetings
    "269df9e4e4c717506420996540a0efccbce1667de9c89ddd486661ba16c5a0c8": 867,  # period-comparison
    "b8150f26ac790d5d07033c0d33cab25f6699a787146f577d535ab7e788762ccf": 746,  # places-within
    "1887cb7cbc20b2df72ba8b846f6c7349db7d7b2b121cbd3eb13b718f5fee88f2": 670,  # posts
    "4e9203d3042ac1b9ef8d5debab03120e9ce6112c82bf51a39b3a893348732a41": 918,  # province-vs-region
    "2b49de7e2bc2c55c14243e5dc9a950da4646b0f892e5bb71d935986ed5ff0b30": 684,  # quotations
    "ba612a005854b3b36d136029536055c928edb28f9244bf5f3d424f879359195c": 863,  # sector-breakdown
    "fe4b473a920f0a607e29020dd714b8152df5d0bc2e489ef8e2838b46685e0eac": 873,  # sectors
    "eb8d8909df0853519b48d53a55b79c6a90d7ea16c2de2b71129dce485daca6bd": 1008,  # share-check
}
