"""Talking to Prism: transport, session reuse, the shared cache, pagination, normalization.

Raw API shapes (v1 camelCase, v2 snake_case, v3 intent objects, v4 envelopes) stop here;
checks only see the model in `model.py`.
"""
