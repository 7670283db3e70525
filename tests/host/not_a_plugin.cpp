// A shared library that is not a Vox plugin (it has no vox_plugin_entry):
// voxd must refuse it, say why, and keep serving.
extern "C" __attribute__((visibility("default"))) int vox_test_not_a_plugin_marker(void) { return 42; }
