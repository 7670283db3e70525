#include <vox/core/log.hpp>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <ctime>
#include <memory>
#include <string>

namespace vox::log {
namespace {

// The event travels through spdlog as "<component>\x1f<message>\x1f<fields json>"
// so that the formatter can lay it out without parsing free text.
constexpr char kSeparator = '\x1f';

struct Event {
    std::string_view component;
    std::string_view message;
    std::string_view fields;  // a JSON object, or empty
};

Event split(std::string_view payload) {
    Event event{"", payload, ""};
    auto first = payload.find(kSeparator);
    if (first == std::string_view::npos) return event;
    event.component = payload.substr(0, first);
    auto second = payload.find(kSeparator, first + 1);
    event.message = payload.substr(first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1);
    if (second != std::string_view::npos) event.fields = payload.substr(second + 1);
    return event;
}

std::string utc_timestamp(spdlog::log_clock::time_point when) {
    auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(when);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(when - seconds).count();
    std::time_t t = spdlog::log_clock::to_time_t(when);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[40];
    std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buffer + n, sizeof buffer - n, ".%06ldZ", static_cast<long>(micros));
    return buffer;
}

class EventFormatter final : public spdlog::formatter {
public:
    explicit EventFormatter(Format format) : format_(format) {}

    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        Event event = split(std::string_view(msg.payload.data(), msg.payload.size()));
        auto level = spdlog::level::to_string_view(msg.level);
        std::string line;
        if (format_ == Format::json) {
            nlohmann::json object = nlohmann::json::object();
            object["ts"] = utc_timestamp(msg.time);
            object["level"] = std::string_view(level.data(), level.size());
            if (!event.component.empty()) object["component"] = event.component;
            object["msg"] = event.message;
            if (!event.fields.empty()) {
                auto fields = nlohmann::json::parse(event.fields, nullptr, false);
                if (fields.is_object())
                    for (auto& [key, value] : fields.items())
                        if (!object.contains(key)) object[key] = value;
            }
            line = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        } else {
            line = utc_timestamp(msg.time) + " " + std::string(level.data(), level.size()) + " ";
            if (!event.component.empty()) line += std::string(event.component) + ": ";
            line += event.message;
            if (!event.fields.empty()) {
                auto fields = nlohmann::json::parse(event.fields, nullptr, false);
                if (fields.is_object())
                    for (auto& [key, value] : fields.items())
                        line += " " + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
            }
        }
        line += '\n';
        dest.append(line.data(), line.data() + line.size());
    }

    std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<EventFormatter>(format_); }

private:
    Format format_;
};

std::atomic<bool> g_configured{false};

}  // namespace

void configure(Format format, spdlog::level::level_enum level) {
    g_configured = true;
    auto logger = std::make_shared<spdlog::logger>("vox", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_formatter(std::make_unique<EventFormatter>(format));
    logger->set_level(level);
    logger->flush_on(spdlog::level::trace);  // one event per line, visible at once (tests read it)
    spdlog::set_default_logger(logger);
}

bool parse_level(std::string_view name, spdlog::level::level_enum& level) {
    auto parsed = spdlog::level::from_str(std::string(name));
    if (parsed == spdlog::level::off && name != "off") return false;
    level = parsed;
    return true;
}

void write(spdlog::level::level_enum level, std::string_view component, std::string_view message,
           const nlohmann::json& fields) {
    // A program (or test) that never configured logging still gets readable lines.
    if (!g_configured.load()) {
        static std::once_flag once;
        std::call_once(once, [] {
            if (!g_configured.load()) configure(Format::text, spdlog::level::info);
        });
    }
    auto logger = spdlog::default_logger_raw();
    if (!logger->should_log(level)) return;
    std::string payload;
    payload.reserve(component.size() + message.size() + 64);
    payload.append(component).push_back(kSeparator);
    payload.append(message);
    if (fields.is_object() && !fields.empty()) {
        payload.push_back(kSeparator);
        payload += fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    logger->log(level, "{}", payload);
}

}  // namespace vox::log
