// voxd as a Poco ServerApplication: reads the command line, builds the
// layered configuration, loads plugins, serves HTTP until SIGTERM/SIGINT,
// reloading the configuration's providers on SIGHUP, then drains and exits 0. Exit codes follow sysexits: 64 usage, 78 bad
// configuration, 69 cannot listen, 73 cannot create the data directory or
// port file.
#pragma once

#include "config/config_loader.hpp"
#include "config/layered_config.hpp"
#include "config/voxd_settings.hpp"

#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <optional>
#include <string>
#include <vector>

namespace vox::host {

class VoxdApplication final : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    void print_help();
    // Everything between "configuration is valid" and "stopped".
    int serve(const ConfigSources& sources, const LayeredConfig& config, const VoxdSettings& settings);

    bool help_requested_ = false;
    bool version_requested_ = false;
    bool print_config_ = false;
    std::optional<std::string> config_file_;
    std::vector<std::string> overrides_;  // "key=value", command-line order
    std::string port_file_;
};

}  // namespace vox::host
