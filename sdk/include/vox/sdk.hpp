// vox/sdk.hpp — everything a C++ plugin author needs.
#pragma once

#include <vox/plugin.h>
#include <vox/sdk/error.hpp>
#include <vox/sdk/flow_node.hpp>
#include <vox/sdk/host.hpp>
#include <vox/sdk/llm.hpp>
#include <vox/sdk/plugin.hpp>
#include <vox/sdk/stt.hpp>
#include <vox/sdk/tts.hpp>
#include <vox/sdk/vad.hpp>
