// Benchmark instruments (see instrument_plugin.cpp), registered statically.
#pragma once

#include <vox/plugin.h>

namespace vox::bench {
const vox_plugin_descriptor* instrument_plugin_descriptor();
}
