// A shared library that is not a Spot plugin: it exports something else.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int not_a_spot_plugin() { return 42; }
