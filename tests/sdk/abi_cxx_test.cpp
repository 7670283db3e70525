// vox/plugin.h and the whole C++ SDK compiled as C++17 and as C++20 (the
// SDK promises C++17 to plugin authors), with the project's warnings.
#include <vox/plugin.h>
#include <vox/sdk.hpp>

#include <cstddef>
#include <cstdio>
#include <type_traits>

static_assert(offsetof(vox_plugin_descriptor, struct_size) == 0);
static_assert(std::is_standard_layout_v<vox_plugin_descriptor>);
static_assert(std::is_trivially_copyable_v<vox_tts_callbacks>);
static_assert(VOX_FIELD_SIZE(vox_error, message) == VOX_ERROR_MESSAGE_CAPACITY);

int main() {
    vox_host_services older{};
    older.struct_size = offsetof(vox_host_services, counter_add);
    if (VOX_STRUCT_HAS(&older, vox_host_services, counter_add)) return 1;
    if (!VOX_STRUCT_HAS(&older, vox_host_services, monotonic_ns)) return 1;
    std::printf("vox/plugin.h and vox/sdk.hpp as C++ (__cplusplus %ld): ok\n", static_cast<long>(__cplusplus));
    return 0;
}
