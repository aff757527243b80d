"""Recommenders: one contract, popularity, item-kNN, EASE, content, next-mention and an MMR hybrid.

Typical use (agent tools)::

    from tastebud.recommenders import load_hybrid
    hybrid = load_hybrid(services, "movies")          # trains + saves on first use
    recs = hybrid.recommend_with_evidence({"ml:2571": 1.0, "ml:1214": -1.0}, n=10,
                                          exclude=seen, filters=filters, query="space")
"""

from .base import Interactions, Recommender, UserItems
from .cf import EASERecommender, ItemItemRecommender, ItemKNNRecommender, PopularityRecommender
from .content import ContentRecommender, catalog_vectors
from .evidence import Evidence, Recommendation
from .hybrid import HybridRecommender, mmr
from .sequence import TransitionRecommender
from .training import (TrainedModels, build_interactions, get_models, load_hybrid, load_models, models_dir,
                       movielens_interactions, redial_comention_ease, redial_sequence_models, save_models,
                       train_models)

__all__ = ["Recommender", "Interactions", "UserItems", "PopularityRecommender",
           "ItemItemRecommender", "ItemKNNRecommender", "EASERecommender", "ContentRecommender", "catalog_vectors",
           "HybridRecommender", "mmr", "TransitionRecommender", "Evidence", "Recommendation", "TrainedModels", "build_interactions",
           "movielens_interactions", "train_models", "save_models", "load_models", "get_models", "load_hybrid",
           "models_dir", "redial_sequence_models", "redial_comention_ease"]
