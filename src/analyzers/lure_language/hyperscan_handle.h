// Owning handles for Hyperscan's C objects, so a compiled database or a scratch space is freed on
// every path (including a failed prepare()) without hand-written cleanup.
#pragma once

#include <memory>

#include <hs/hs.h>

namespace vigie::analyzers::lure_language {

struct HsDatabaseDeleter {
  void operator()(hs_database_t* database) const { hs_free_database(database); }
};
using HsDatabase = std::unique_ptr<hs_database_t, HsDatabaseDeleter>;

struct HsScratchDeleter {
  void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
};
using HsScratch = std::unique_ptr<hs_scratch_t, HsScratchDeleter>;

struct HsCompileErrorDeleter {
  void operator()(hs_compile_error_t* error) const { hs_free_compile_error(error); }
};
using HsCompileError = std::unique_ptr<hs_compile_error_t, HsCompileErrorDeleter>;

}  // namespace vigie::analyzers::lure_language
