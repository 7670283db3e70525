#include <vox/core/flow/equation.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace vox::flow {

using nlohmann::json;

struct Equation::Node {
    enum class Kind { literal, variable, compare, exists, all, any, negate };
    Kind kind = Kind::literal;
    json value;        // literal
    std::string name;  // variable
    std::string op;    // compare
    std::shared_ptr<const Node> left, right;
};

namespace {

using Node = Equation::Node;
using NodePtr = std::shared_ptr<const Node>;

struct Token {
    enum class Kind { word, string, number, op, open, close, end } kind = Kind::end;
    std::string text;
    std::size_t at = 0;
};

std::vector<Token> tokenize(const std::string& text) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; };
    while (i < text.size()) {
        char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
            continue;
        }
        std::size_t start = i;
        if (c == '(' || c == ')') {
            tokens.push_back({c == '(' ? Token::Kind::open : Token::Kind::close, std::string(1, c), start});
            ++i;
        } else if (c == '"' || c == '\'') {
            std::string value;
            ++i;
            while (i < text.size() && text[i] != c) {
                if (text[i] == '\\' && i + 1 < text.size()) ++i;
                value += text[i++];
            }
            if (i >= text.size())
                throw EquationError("a string is not closed (missing " + std::string(1, c) + ")", start);
            ++i;
            tokens.push_back({Token::Kind::string, value, start});
        } else if (text.compare(i, 2, "{{") == 0) {
            std::size_t close = text.find("}}", i + 2);
            if (close == std::string::npos) throw EquationError("{{ without }}", start);
            std::string name = text.substr(i + 2, close - i - 2);
            name.erase(0, name.find_first_not_of(' '));
            name.erase(name.find_last_not_of(' ') + 1);
            if (name.empty() || !std::all_of(name.begin(), name.end(), is_word))
                throw EquationError("'{{" + name + "}}' is not a variable name", start);
            tokens.push_back({Token::Kind::word, name, start});
            i = close + 2;
        } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                   (c == '-' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
            ++i;
            while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
            tokens.push_back({Token::Kind::number, text.substr(start, i - start), start});
        } else if (is_word(c)) {
            while (i < text.size() && is_word(text[i])) ++i;
            tokens.push_back({Token::Kind::word, text.substr(start, i - start), start});
        } else {
            static const char* const ops[] = {"==", "!=", ">=", "<=", "&&", "||", ">", "<", "!"};
            const char* found = nullptr;
            for (const char* op : ops)
                if (text.compare(i, std::char_traits<char>::length(op), op) == 0) {
                    found = op;
                    break;
                }
            if (found == nullptr) throw EquationError(std::string("unexpected character '") + c + "'", start);
            tokens.push_back({Token::Kind::op, found, start});
            i += std::char_traits<char>::length(found);
        }
    }
    tokens.push_back({Token::Kind::end, "", text.size()});
    return tokens;
}

class Parser {
public:
    Parser(std::vector<Token> tokens, std::vector<std::string>& variables)
        : tokens_(std::move(tokens)), variables_(variables) {}

    NodePtr parse() {
        NodePtr root = any();
        if (peek().kind != Token::Kind::end) throw EquationError("unexpected '" + peek().text + "'", peek().at);
        return root;
    }

private:
    const Token& peek() const { return tokens_[at_]; }
    const Token& take() { return tokens_[at_++]; }
    bool take_op(const char* op) {
        if (peek().kind == Token::Kind::op && peek().text == op) {
            ++at_;
            return true;
        }
        return false;
    }

    static NodePtr binary(Node::Kind kind, NodePtr left, NodePtr right, std::string op = {}) {
        auto node = std::make_shared<Node>();
        node->kind = kind;
        node->left = std::move(left);
        node->right = std::move(right);
        node->op = std::move(op);
        return node;
    }

    NodePtr any() {
        NodePtr left = all();
        while (take_op("||")) left = binary(Node::Kind::any, left, all());
        return left;
    }

    NodePtr all() {
        NodePtr left = comparison();
        while (take_op("&&")) left = binary(Node::Kind::all, left, comparison());
        return left;
    }

    NodePtr comparison() {
        if (take_op("!")) {
            if (peek().kind != Token::Kind::open)
                throw EquationError("! applies to a (parenthesised) expression", peek().at);
            auto node = std::make_shared<Node>();
            node->kind = Node::Kind::negate;
            node->left = group();
            return node;
        }
        if (peek().kind == Token::Kind::open) return group();
        NodePtr left = operand();
        const Token& next = peek();
        if (next.kind == Token::Kind::word && next.text == "exists") {
            ++at_;
            if (left->kind != Node::Kind::variable) throw EquationError("exists applies to a variable", next.at);
            auto node = std::make_shared<Node>(*left);
            node->kind = Node::Kind::exists;
            return node;
        }
        std::string op;
        if (next.kind == Token::Kind::op && next.text != "&&" && next.text != "||" && next.text != "!")
            op = take().text;
        else if (next.kind == Token::Kind::word && next.text == "contains")
            op = take().text;
        else
            throw EquationError(
                "expected a comparison (==, !=, >, >=, <, <=, contains) or exists after '" + describe(*left) + "'",
                next.at);
        return binary(Node::Kind::compare, left, operand(), op);
    }

    NodePtr group() {
        std::size_t open_at = take().at;
        NodePtr inner = any();
        if (peek().kind != Token::Kind::close) throw EquationError("'(' is not closed", open_at);
        ++at_;
        return inner;
    }

    NodePtr operand() {
        const Token& token = take();
        auto node = std::make_shared<Node>();
        switch (token.kind) {
        case Token::Kind::string: node->value = token.text; return node;
        case Token::Kind::number: {
            double number = 0;
            auto [end, error] = std::from_chars(token.text.data(), token.text.data() + token.text.size(), number);
            if (error != std::errc() || end != token.text.data() + token.text.size())
                throw EquationError("'" + token.text + "' is not a number", token.at);
            node->value = number;
            return node;
        }
        case Token::Kind::word:
            if (token.text == "true" || token.text == "false") {
                node->value = token.text == "true";
                return node;
            }
            if (token.text == "null") return node;
            if (token.text == "exists" || token.text == "contains")
                throw EquationError("'" + token.text + "' needs a variable before it", token.at);
            if (!(std::isalpha(static_cast<unsigned char>(token.text[0])) || token.text[0] == '_'))
                throw EquationError("'" + token.text + "' is not a variable name", token.at);
            node->kind = Node::Kind::variable;
            node->name = token.text;
            if (std::find(variables_.begin(), variables_.end(), token.text) == variables_.end())
                variables_.push_back(token.text);
            return node;
        case Token::Kind::end: throw EquationError("the expression ends where a value was expected", token.at);
        default: throw EquationError("expected a variable or a value, not '" + token.text + "'", token.at);
        }
    }

    static std::string describe(const Node& node) {
        return node.kind == Node::Kind::variable ? node.name : node.value.dump();
    }

    std::vector<Token> tokens_;
    std::size_t at_ = 0;
    std::vector<std::string>& variables_;
};

// A variable's value; a dotted name reads into objects (result.status).
json lookup(const json& variables, const std::string& name) {
    if (auto it = variables.find(name); it != variables.end()) return *it;
    const json* at = &variables;
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t dot = name.find('.', start);
        std::string part = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!at->is_object() || !at->contains(part)) return nullptr;
        at = &(*at)[part];
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return *at;
}

std::optional<double> as_number(const json& value) {
    if (value.is_number()) return value.get<double>();
    if (!value.is_string()) return std::nullopt;
    const std::string& text = value.get_ref<const std::string&>();
    double number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return number;
}

std::string as_text(const json& value) {
    std::string text = value.is_string() ? value.get<std::string>() : value.is_null() ? "" : value.dump();
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool compare(const std::string& op, const json& left, const json& right) {
    if (op == "contains") {
        if (left.is_array())
            return std::any_of(left.begin(), left.end(),
                               [&](const json& item) { return as_text(item) == as_text(right); });
        return as_text(left).find(as_text(right)) != std::string::npos;
    }
    auto a = as_number(left);
    auto b = as_number(right);
    if (op == "==" || op == "!=") {
        bool equal = a && b ? *a == *b : as_text(left) == as_text(right);
        return op == "==" ? equal : !equal;
    }
    if (!a || !b) return false;
    if (op == ">") return *a > *b;
    if (op == ">=") return *a >= *b;
    if (op == "<") return *a < *b;
    return *a <= *b;
}

json value_of(const Node& node, const json& variables) {
    return node.kind == Node::Kind::variable ? lookup(variables, node.name) : node.value;
}

bool evaluate(const Node& node, const json& variables) {
    switch (node.kind) {
    case Node::Kind::all: return evaluate(*node.left, variables) && evaluate(*node.right, variables);
    case Node::Kind::any: return evaluate(*node.left, variables) || evaluate(*node.right, variables);
    case Node::Kind::negate: return !evaluate(*node.left, variables);
    case Node::Kind::exists: {
        json value = lookup(variables, node.name);
        return !value.is_null() && !(value.is_string() && value.get_ref<const std::string&>().empty());
    }
    case Node::Kind::compare:
        return compare(node.op, value_of(*node.left, variables), value_of(*node.right, variables));
    default: return false;  // a bare value is not a condition (the parser does not produce one)
    }
}

}  // namespace

Equation Equation::parse(const std::string& expression) {
    Equation equation;
    if (expression.find_first_not_of(" \t\r\n") == std::string::npos) throw EquationError("the expression is empty", 0);
    equation.root_ = Parser(tokenize(expression), equation.variables_).parse();
    return equation;
}

bool Equation::holds(const json& variables) const { return root_ && evaluate(*root_, variables); }

}  // namespace vox::flow
