-- expect: VL112
DROP INDEX app.api_tokens_user_idx;
