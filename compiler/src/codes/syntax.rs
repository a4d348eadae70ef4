//! Codes of the syntax stage (E00xx).
use super::CodeInfo;

pub const UNEXPECTED_TOKEN: &str = "E0001";
pub const UNEXPECTED_CHAR: &str = "E0002";
pub const UNCLOSED_DELIMITER: &str = "E0003";
pub const UNEXPECTED_CLOSER: &str = "E0004";
pub const MISSING_SEMICOLON: &str = "E0005";
pub const MISSING_EXPR: &str = "E0006";
pub const UNTERMINATED_STRING: &str = "E0007";
pub const UNTERMINATED_COMMENT: &str = "E0008";
pub const INT_OVERFLOW: &str = "E0009";
pub const NUMBER_RANGE: &str = "E0010";
pub const PATH_TRAILING_SLASH: &str = "E0011";
pub const HOME_PATH: &str = "E0012";
pub const TOO_DEEP: &str = "E0013";
pub const DUPLICATE_FORMAL: &str = "E0014";
pub const DYNAMIC_ATTR: &str = "E0015";
pub const CHAINED_COMPARISON: &str = "E0016";

pub const CODES: &[CodeInfo] = &[];
