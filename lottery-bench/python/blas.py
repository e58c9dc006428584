"""The BLAS that torch runs on, shared by the PyTorch peer benchmarks."""
import ctypes


def openblas():
    """The OpenBLAS library torch is linked against, or None (e.g. MKL or reference BLAS)."""
    for name in ("libopenblas.so.0", "libblas.so.3"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_config.restype = ctypes.c_char_p
            return lib
        except (OSError, AttributeError):
            pass
    return None
