// The toolchain string every plugin embeds and the loader compares: C++ objects cross the plugin
// boundary, so a plugin built with another compiler, C++ library ABI or Boost is refused.
#pragma once

#include <boost/version.hpp>

#define SPOT_STR2(x) #x
#define SPOT_STR(x) SPOT_STR2(x)

#if defined(__clang__)
#define SPOT_COMPILER "clang-" SPOT_STR(__clang_major__)
#elif defined(__GNUC__)
#define SPOT_COMPILER "gcc-" SPOT_STR(__GNUC__)
#else
#define SPOT_COMPILER "unknown"
#endif

#define SPOT_TOOLCHAIN                                                            \
    SPOT_COMPILER ";cxxabi=" SPOT_STR(_GLIBCXX_USE_CXX11_ABI) ";boost=" SPOT_STR( \
        BOOST_VERSION) ";cxx=" SPOT_STR(__cplusplus)
