// Storage failures the API maps to HTTP statuses: a conflict (409), a missing
// row (404), and the database being unreachable or failing (503/500).
#pragma once

#include <stdexcept>
#include <string>

namespace vox::storage {

class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A uniqueness or reference rule would be broken (duplicate number, agent still in use).
class ConflictError : public StorageError {
public:
    ConflictError(std::string code, const std::string& message) : StorageError(message), code_(std::move(code)) {}
    const std::string& code() const { return code_; }

private:
    std::string code_;
};

// The database cannot be reached or refused the operation for reasons outside the request.
class UnavailableError : public StorageError {
public:
    using StorageError::StorageError;
};

// A paging cursor that this server did not issue (the API answers 400).
class InvalidCursorError : public StorageError {
public:
    InvalidCursorError() : StorageError("the cursor is not valid; use next_cursor from a previous page") {}
};

}  // namespace vox::storage
