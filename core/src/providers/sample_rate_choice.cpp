#include <vox/core/providers/sample_rate_choice.hpp>

#include <algorithm>
#include <vector>

namespace vox {

std::uint32_t choose_provider_sample_rate(const Provider& provider, std::uint32_t input_rate) {
    std::vector<std::uint32_t> rates;
    auto found = provider.capabilities.find("sample_rates");
    if (found != provider.capabilities.end() && found->is_array())
        for (const auto& rate : *found)
            if (rate.is_number_unsigned() && rate.get<std::uint32_t>() > 0) rates.push_back(rate.get<std::uint32_t>());
    if (rates.empty()) return input_rate != 0 ? input_rate : 16000;
    std::sort(rates.begin(), rates.end());
    if (input_rate == 0) return rates.back();
    for (auto rate : rates)
        if (rate >= input_rate) return rate;  // exact, else the lowest above (no information lost)
    return rates.back();
}

}  // namespace vox
