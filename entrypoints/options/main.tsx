import { render } from 'preact';
import { OptionsApp } from '../../src/ui/OptionsApp';
import '../../src/ui/theme.css';

render(<OptionsApp />, document.getElementById('app')!);
