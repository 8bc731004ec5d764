// Writing a whole file so that a reader sees the old file or the new one, never a part of either:
// for the files vigie rewrites while other processes may read them (the content model, the
// compiled-database cache).
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "vigie/result.h"

namespace vigie {

// Replaces path with contents: written to a temporary file beside it (mkstemp), given `mode`,
// flushed to disk, then renamed over path, so a crash leaves the old file or the whole new one. On
// failure path is untouched and the temporary file is gone; the error reads
// "<path>: cannot write|replace <what>: <reason>".
Result<void> replace_file(const std::string& path, std::string_view contents, mode_t mode,
                          std::string_view what);

}  // namespace vigie
