// Exposes llama.cpp's C API (from the build that scripts/bootstrap pins) to Swift.
#pragma once
#include <llama.h>
