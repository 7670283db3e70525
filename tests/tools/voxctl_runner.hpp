// Running the built voxctl from a test: its exit status, stdout and stderr,
// and a loose word-overlap score for checking recognised speech. Shared by
// the voxctl test files of this folder (each defines VOX_TEST_VOXCTL).
#pragma once

#include "audio_test_support.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace vox::test {

struct Result {
    int status = -1;
    std::string out;
    std::string err;
};

inline std::string shell_quote(const std::string& arg) {
    std::string q = "'";
    for (char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Runs voxctl with `args` (and, optionally, `stdin_text`), without any
// VOX_PLUGIN_PATH from the caller's environment unless given in `env`.
inline Result voxctl(const std::vector<std::string>& args, const std::string& env = "", const std::string& stdin_text = "") {
    std::string err_file = scratch("stderr.txt");
    std::string command = "env -u VOX_PLUGIN_PATH " + env + " " + shell_quote(VOX_TEST_VOXCTL);
    for (const auto& arg : args) command += " " + shell_quote(arg);
    command += " 2>" + shell_quote(err_file);
    if (!stdin_text.empty()) {
        std::string in_file = scratch("stdin.txt");
        std::ofstream(in_file) << stdin_text;
        command += " <" + shell_quote(in_file);
    } else {
        command += " </dev/null";
    }
    Result result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        ADD_FAILURE() << "cannot run " << command;
        return result;
    }
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.out.append(buffer, n);
    int raw = pclose(pipe);
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    std::ifstream err(err_file);
    std::stringstream text;
    text << err.rdbuf();
    result.err = text.str();
    return result;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

inline double word_overlap(const std::string& reference, const std::string& heard) {
    auto words = [](const std::string& text) {
        std::vector<std::string> list;
        std::istringstream stream(text);
        for (std::string w; stream >> w;) {
            std::string clean;
            for (char c : w)
                if (std::isalpha(static_cast<unsigned char>(c)) != 0)
                    clean += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (!clean.empty()) list.push_back(clean);
        }
        return list;
    };
    auto ref = words(reference);
    auto hyp = words(heard);
    std::size_t matched = 0;
    for (const auto& w : ref)
        if (auto found = std::find(hyp.begin(), hyp.end(), w); found != hyp.end()) {
            ++matched;
            hyp.erase(found);
        }
    return ref.empty() ? 0.0 : static_cast<double>(matched) / static_cast<double>(ref.size());
}

}  // namespace vox::test
