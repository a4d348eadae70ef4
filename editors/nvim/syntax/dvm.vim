" Vim syntax file for dvm (a typed, Nix-style configuration language).
if exists('b:current_syntax')
  finish
endif

syntax keyword dvmKeyword let in if then else with assert inherit rec or
syntax keyword dvmConstant true false null
syntax keyword dvmBuiltin abort baseNameOf builtins dirOf fromTOML import isNull map removeAttrs secret throw toString
syntax match dvmKindDecl /\<kind\ze\s*"/
syntax match dvmTypeDecl /\<type\ze\s\+\h/
syntax match dvmKind /\<\u\w*\>/
syntax match dvmNumber /\<\d\+\(\.\d\+\)\?\(ms\|s\|m\|h\|d\|Ki\|Mi\|Gi\|Ti\|k\|M\|G\)\?\>/
syntax match dvmSearchPath /<[A-Za-z0-9_.+-]\+\(\/[A-Za-z0-9_.+-]\+\)*>/
syntax match dvmPath /\(\.\.\?\|\~\)\?\(\/[A-Za-z0-9_.+-]\+\)\+\/\?/
syntax match dvmAttribute /\<\h[A-Za-z0-9_'-]*\ze\s*+\?=[^=]/
syntax match dvmOperator /++\|\/\/\|->\|==\|!=\|<=\|>=\|&&\|||\|+=\|[-+*<>!&?@|]/

syntax region dvmInterpolation matchgroup=dvmInterpolationDelim start=/\${/ end=/}/ contained contains=TOP
syntax match dvmEscape /\\./ contained
syntax region dvmString start=/"/ skip=/\\./ end=/"/ contains=dvmEscape,dvmInterpolation
syntax match dvmIndentedEscape /''['$]\|''\\./ contained
syntax region dvmIndentedString start=/''/ skip=/''['$]\|''\\./ end=/''/ contains=dvmIndentedEscape,dvmInterpolation

syntax match dvmDocComment /##.*$/
syntax match dvmComment /#\([^#].*\)\?$/
syntax region dvmComment start=/\/\*/ end=/\*\//

highlight default link dvmKeyword Keyword
highlight default link dvmConstant Constant
highlight default link dvmBuiltin Function
highlight default link dvmKindDecl Keyword
highlight default link dvmTypeDecl Keyword
highlight default link dvmKind Type
highlight default link dvmNumber Number
highlight default link dvmSearchPath Include
highlight default link dvmPath String
highlight default link dvmAttribute Identifier
highlight default link dvmOperator Operator
highlight default link dvmString String
highlight default link dvmIndentedString String
highlight default link dvmEscape SpecialChar
highlight default link dvmIndentedEscape SpecialChar
highlight default link dvmInterpolationDelim Delimiter
highlight default link dvmComment Comment
highlight default link dvmDocComment SpecialComment

let b:current_syntax = 'dvm'
