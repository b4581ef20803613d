# The post's `url:` front matter is the original article's address, but Jekyll answers `page.url` with the
# post's own address on this site. Copy it to `original_url` so the post layout can link to the original.
# (Sites built in safe mode, such as GitHub Pages' own builder, skip plugins: the link is then not shown.)
Jekyll::Hooks.register :posts, :pre_render do |post|
  post.data["original_url"] ||= post.data["url"] if post.data["url"].is_a?(String)
end
