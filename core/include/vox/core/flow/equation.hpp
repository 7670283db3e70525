// The equation language of flow edge conditions: comparisons of flow
// variables and literals combined with && and ||.
//
//   day exists && confirmed == true
//   age >= 18 || {{guardian}} == "present"
//   (plan == "gold" || plan == "silver") && order_total > 100
//
// Operands: a variable (name or {{name}}), a string in "double" or 'single'
// quotes, a number, true, false, null. Operators: == != > >= < <= contains,
// and the postfix `exists` (the variable is set and not empty). `!` negates
// a parenthesised expression. A comparison compares numbers when both sides
// are numbers (or strings that are numbers), else the texts, ignoring case;
// > and friends are false unless both sides are numbers.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace vox::flow {

class EquationError : public std::invalid_argument {
public:
    EquationError(std::string message, std::size_t position)
        : std::invalid_argument(std::move(message)), position_(position) {}
    // Where in the expression the problem is (0-based, in bytes).
    std::size_t position() const { return position_; }

private:
    std::size_t position_;
};

class Equation {
public:
    // Throws EquationError for an expression that does not parse.
    static Equation parse(const std::string& expression);

    bool holds(const nlohmann::json& variables) const;
    // The variable names the expression reads, in order of appearance.
    const std::vector<std::string>& variables() const { return variables_; }

    struct Node;

private:
    std::shared_ptr<const Node> root_;
    std::vector<std::string> variables_;
};

}  // namespace vox::flow
