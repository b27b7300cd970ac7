"""Deterministic text primitives, exactly one of each, shared by ingest, evidence and the truth layer.

==============  ================================================================
module          holds
==============  ================================================================
``normalize``   the quote/dash/space map with offsets back into the original text
``sentences``   sentence spans, quoted spans, the text outside quotes, the token pattern
``words``       words, content words, stems: the word rules all layers share
``numbers``     figures in text: the number pattern, kinds, scales, values
``names``       name tokens, name matching, capitalised runs, the names a sentence states
``search``      whole-word search for a literal in long text
``scripts``     writing systems and language guesses
``lexicons``    word lists, gazetteers and JSON tables from ``summarizer/data/``
``outlets``     known news outlets: domains, names, aliases
``injection``   instruction-like text and prompt-delimiter neutralising
==============  ================================================================

Nothing here knows about briefs or models; every function is pure (caches aside).
"""
